"""The page benchmark runs end to end on a small synthetic library: it starts
``ficshelf serve`` on loopback, requests every kind of page from this process
and reports server and client times (the figures themselves are measured on
100,000 works by the command in the report, not here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ficshelf.synth import SynthOptions
from ficshelf.web import bench


def test_bench_command_on_a_small_library(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    small = SynthOptions(fandoms=20, authors=100, min_words=30, max_words=120, median_words=60,
                         rare_words=200)
    real_build = bench._build

    def build(folder: Path, works: int, seed: int) -> dict[str, object]:
        from ficshelf.store import open_library
        from ficshelf.synth import build_library

        with open_library(folder) as store:
            build_library(store, works, seed=seed, options=small)
        return real_build(folder, works, seed)

    monkeypatch.setattr(bench, "_build", build)
    assert bench.main(["--library", str(tmp_path / "lib"), "--works", "300", "--requests", "5",
                       "--analyse", "2", "--seconds", "120"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["works"] == 300 and report["build"]["built"] is False
    for kind in ("library", "search", "work", "reader"):
        assert report[kind]["count"] == 5 and report[kind]["errors"] == 0, kind
        server = report[kind]["server"]
        assert 0 < server["p50_ms"] <= server["p95_ms"] <= server["max_ms"]
        assert report[kind]["client"]["p50_ms"] >= server["p50_ms"]
    assert report["analysed_work_pages"] in (0, 2)
    assert report["search"]["ranked_only"] == report["library"]["ranked_only"] == 0  # 300 works
