// Helpers the generated adapters share (static runtime of sdkgen wrappers).

/** A vendor failed. `vendorError` is the vendor SDK's own error (with its response, status and body). */
export class ProviderError extends Error {
  readonly vendor: string;
  readonly vendorError: unknown;
  readonly status: number | undefined;

  constructor(message: string, vendor: string, vendorError?: unknown) {
    super(message);
    this.name = new.target.name;
    this.vendor = vendor;
    this.vendorError = vendorError;
    const status = (vendorError as { status?: unknown } | undefined)?.status;
    this.status = typeof status === "number" ? status : undefined;
  }
}

/** The vendor does not know the session (404). */
export class ProviderNotFoundError extends ProviderError {}
/** The vendor refused the request (4xx other than 404). */
export class ProviderRejectedError extends ProviderError {}
/** The vendor could not be reached, timed out, or failed (5xx). */
export class ProviderUnavailableError extends ProviderError {}

export function fromVendorError(vendor: string, error: unknown): ProviderError {
  const status = (error as { status?: unknown } | undefined)?.status;
  const message = `${vendor}: ${error instanceof Error ? error.message : String(error)}`;
  if (typeof status !== "number" || status >= 500) return new ProviderUnavailableError(message, vendor, error);
  if (status === 404) return new ProviderNotFoundError(message, vendor, error);
  return new ProviderRejectedError(message, vendor, error);
}

export function lookup<T>(table: Readonly<Record<string, unknown>>, value: unknown, vendor: string, what: string): T {
  const key = String(value);
  if (!Object.prototype.hasOwnProperty.call(table, key)) {
    throw new ProviderError(`${vendor}: unexpected ${what} ${JSON.stringify(key)}`, vendor);
  }
  return table[key] as T;
}

export function require<T>(value: T | null | undefined, vendor: string, what: string): T {
  if (value === null || value === undefined) throw new ProviderError(`${vendor} needs ${what}`, vendor);
  return value;
}

export function ceilDiv(value: number, divisor: number): number {
  return Math.ceil(value / divisor);
}
