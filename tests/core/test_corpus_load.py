"""Opt-in (`pytest -m corpus`): every corpus document loads into the IR or fails with a clean diagnostic."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from .conftest import REPO


def corpus_load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_load", REPO / "bench" / "corpus_load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_load"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.corpus
def test_the_corpus_loads_without_internal_errors() -> None:
    bench = corpus_load()
    try:
        documents = bench.documents(bench.corpus_dir())
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    report = bench.run(documents)
    print(bench.render(report))
    assert report.internal_errors == []
    assert report.unexpected == []  # every Swagger 2.0 document is refused with the swagger-2 diagnostic
    assert report.refused_2_0 > 0
    assert report.loaded + report.refused_2_0 + len(report.spec_errors) == report.total
    assert report.loaded >= 0.95 * (report.total - report.refused_2_0)
