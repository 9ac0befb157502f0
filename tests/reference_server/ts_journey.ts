// The platform journey through the generated TypeScript SDK, run by test_typescript_journey.py against a live
// server. BASE_URL, ADMIN_EMAIL and ADMIN_PASSWORD come from the environment. After scheduling, the script
// prints "SCHEDULED" and waits for a line on stdin: the test moves the server's clock to the start window.
import { Client } from "./sdk/src/index.js";

declare const process: {
  env: { [name: string]: string | undefined };
  exitCode: number | undefined;
  stdin: { once(event: "data" | "end", listener: () => void): void; pause(): void };
};

const baseUrl = required("BASE_URL");
const password = "correct-horse-battery";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`check failed: ${message}`);
}

function unique(prefix: string): string {
  return `${prefix}${Math.random().toString(16).slice(2, 10)}`;
}

function clientFor(token?: string): Client {
  return new Client({ baseUrl, bearerToken: token, maxRetries: 0 });
}

function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.stdin.pause();
      resolve();
    };
    process.stdin.once("data", done);
    process.stdin.once("end", done);
  });
}

async function main(): Promise<void> {
  const anonymous = clientFor();
  const adminSession = await anonymous.auth.signIn({
    email: required("ADMIN_EMAIL"),
    password: required("ADMIN_PASSWORD"),
  });
  const admin = clientFor(adminSession.access_token);

  // 1. The expert signs up, adds a licence and submits the profile for verification.
  const keyword = unique("probate");
  const expertSession = await anonymous.auth.signUp({
    body: {
      role: "expert",
      email: `${unique("expert-")}@example.com`,
      password,
      name: "박서준",
      display_name: "Park Seojun",
      category: "law",
      headline: `${keyword} and family law`,
    },
  });
  const expertId = expertSession.user.expert_id;
  if (!expertId) throw new Error("the expert's session has no expert_id");
  const expert = clientFor(expertSession.access_token);
  await expert.experts.createLicense(expertId, {
    name: "변호사",
    issuer: "대한변호사협회",
    number: "2010-12345",
    issued_on: "2010-02-15",
    document_url: "https://files.platform.example/uploads/license.pdf",
  });
  const submitted = await expert.experts.requestVerification(expertId, { note: "licence attached" });
  check(submitted.verification_submitted_at != null, "verification submitted");

  // 2. The admin approves it.
  const approved = await admin.admin.approveExpert(expertId, { note: "checked with the bar association" });
  check(approved.verification_status === "verified", `verification_status ${approved.verification_status}`);

  // 3. The expert sells a product and publishes the homepage.
  const product = await expert.consultationProducts.create(expertId, {
    title: "30분 상담",
    channel: "chat",
    duration_minutes: 30,
    price: { amount: 50000, currency: "KRW" },
  });
  await expert.homepages.createSection(expertId, { body: { type: "intro", title: "인사말", body: "안녕하세요." } });
  await expert.homepages.createSection(expertId, {
    body: { type: "consultation_menu", title: "상담 안내", product_ids: [product.id] },
  });
  const slug = unique("park-");
  const published = await expert.homepages.update(expertId, { slug, published: true });
  check(published.published === true, "homepage published");

  // 4. A user reads the homepage, signs up and books.
  const homepage = await anonymous.homepages.getBySlug(slug);
  check(homepage.sections.length === 2, "homepage sections");
  const userSession = await anonymous.auth.signUp({
    body: { role: "user", email: `${unique("user-")}@example.com`, password, name: "김민지" },
  });
  const user = clientFor(userSession.access_token);
  const booked = await user.consultations.create({
    product_id: product.id,
    preferred_time: new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString(),
    message: "아버지 상속 재산 분할 관련해 상담 받고 싶습니다.",
    payment_method_id: "pm_01HZX3Z9K1M3P5R7T9V1X3Z5B7",
  });
  check(booked.status === "requested", `booked status ${booked.status}`);

  // 5. The expert accepts and schedules it; once the clock has moved, starts and completes it.
  const accepted = await expert.consultations.accept(booked.id);
  check(accepted.status === "accepted", `accepted status ${accepted.status}`);
  const scheduled = await expert.consultations.schedule(booked.id, {
    scheduled_at: new Date(Date.now() + 3600 * 1000).toISOString(),
  });
  check(scheduled.status === "scheduled", `scheduled status ${scheduled.status}`);
  console.log("SCHEDULED");
  await waitForGo();
  const started = await expert.consultations.start(booked.id);
  check(started.status === "in_progress", `started status ${started.status}`);
  const completed = await expert.consultations.complete(booked.id);
  check(completed.status === "completed", `completed status ${completed.status}`);

  // 6. The user reviews it.
  const review = await user.consultations.createReview(booked.id, { rating: 5, comment: "큰 도움이 됐습니다." });
  const final = await user.consultations.get(booked.id);
  check(final.review_id === review.id, "review attached");
  console.log(JSON.stringify({ consultation_status: final.status, review_rating: review.rating }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
