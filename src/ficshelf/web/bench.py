"""Page latency of the web app on a large library, measured from a second process.

``python -m ficshelf.web.bench --library DIR`` starts ``ficshelf serve`` on
127.0.0.1 (a free port) over the library (building a synthetic one with
``ficshelf.synth`` first when the folder is empty), waits for its background
indexes, then requests pages over keep-alive HTTP with ``http.client``:

- ``library``: the library page, unfiltered and paged, and filtered the way a
  reader filters (a fandom, an included and an excluded additional tag, a
  rating, complete only, word ranges), sorted several ways;
- ``search``: full-text searches (words and two-word phrases taken from stored
  texts, names), on the library page;
- ``work``: work pages of random works (their analysis computed beforehand,
  so the pages show inferred tags, pictures and "more like this");
- ``reader``: a chapter of a random work.

For every response it records the server's own time (the ``app`` entry of
``Server-Timing``: from the request reaching the app to the response starting),
the part spent in the store (``store``), and the client's wall time. Figures
are milliseconds (nearest-rank p50/p95/p99, max, mean). Counts and time are
bounded (``--requests`` per kind, ``--seconds`` overall); only loopback is used.
For library and search pages it also counts whose sidebar had the results'
own tag counts (``sidebar_counts``) and which said that best match ranked only
the newest matches (``ranked_only``: more matched than ``Query.rank_limit``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

from ficshelf.bench import percentiles

__all__ = ["Client", "main", "percentiles", "run_bench"]

HOST: Final = "127.0.0.1"
_WORD = re.compile(r"[^\W\d_]{4,}")
_TIMING = re.compile(r"(\w+);dur=([\d.]+)")
_SCOPE = re.compile(r'<aside class="filters"[^>]*data-scope="(\w+)"')


class Client:
    """One keep-alive HTTP/1.1 connection to the server on loopback."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=120)

    def get(self, path: str, accept: str = "text/html") -> tuple[int, dict[str, float], float, bytes]:
        """(status, Server-Timing entries, client milliseconds, body)."""
        t0 = time.perf_counter()
        try:
            self.conn.request("GET", path, headers={"Accept": accept})
            resp = self.conn.getresponse()
            body = resp.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
            self.conn.request("GET", path, headers={"Accept": accept})
            resp = self.conn.getresponse()
            body = resp.read()
        wall = (time.perf_counter() - t0) * 1000
        timing = {k: float(v) for k, v in _TIMING.findall(resp.getheader("Server-Timing") or "")}
        return resp.status, timing, wall, body

    def json(self, path: str) -> Any:
        status, _, _, body = self.get(path, accept="application/json")
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}: {body[:200]!r}")
        return json.loads(body)

    def close(self) -> None:
        self.conn.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class _Plan:
    """Varied requests built from what the library holds."""

    def __init__(self, client: Client, rng: random.Random, *, works: int) -> None:
        self.rng = rng

        def tags(kind: str, limit: int) -> list[str]:
            return [t["tag"] for t in client.json(f"/api/tags?kind={kind}&limit={limit}")["tags"]]

        self.fandoms = tags("fandom", 40)
        self.freeforms = tags("freeform", 60)
        self.relationships = tags("relationship", 100)
        pages = max(1, works // 200)
        self.ids: list[int] = []
        for page in rng.sample(range(1, pages + 1), min(pages, 5)):
            self.ids += [w["id"] for w in client.json(
                f"/api/works?per_page=200&page={page}&sort=updated")["works"]]
        if not self.ids:
            raise RuntimeError("the library has no works to request")
        words: list[str] = []
        phrases: list[str] = []
        for wid in rng.sample(self.ids, min(15, len(self.ids))):
            work = client.json(f"/api/works/{wid}?text=true")
            text = " ".join(c["text"] for c in work["chapters"])[:20_000]
            tokens = _WORD.findall(text)
            words += [t.lower() for t in rng.sample(tokens, min(8, len(tokens)))]
            for _ in range(3):
                if len(tokens) > 2:
                    i = rng.randrange(len(tokens) - 1)
                    phrases.append(f'"{tokens[i].lower()} {tokens[i + 1].lower()}"')
            words += [c.split()[0] for c in work["tags"]["characters"][:2]]
        self.words = words or ["the"]
        self.phrases = phrases or self.words
        self.work_ids: list[int] = self.ids

    def library(self) -> str:
        rng = self.rng
        roll = rng.random()
        params: list[tuple[str, str]] = []
        if roll < 0.15:
            pass
        elif roll < 0.3:
            params.append(("page", str(rng.randint(2, 200))))
        elif roll < 0.55:
            params.append(("inc", f"fandom:{rng.choice(self.fandoms)}"))
            if rng.random() < 0.5:
                params.append(("exc", f"freeform:{rng.choice(self.freeforms[:20])}"))
        elif roll < 0.75:
            a, b = rng.sample(self.freeforms[:30], 2)
            params += [("inc", f"freeform:{a}"), ("exc", f"freeform:{b}")]
        elif roll < 0.85:
            params += [("rating", rng.choice(["General Audiences", "Teen And Up Audiences",
                                                "Mature", "Explicit"])),
                       ("complete", "T")]
        else:
            params += [("inc", f"relationship:{rng.choice(self.relationships)}"),
                       ("words_from", str(rng.choice([500, 1000, 2000])))]
        params.append(("sort", rng.choice(["updated", "kudos", "words", "title", "hits",
                                           "published"])))
        return "/?" + urlencode(params)

    def search(self) -> str:
        rng = self.rng
        roll = rng.random()
        q = rng.choice(self.phrases) if roll < 0.3 else (
            f"{rng.choice(self.words)} {rng.choice(self.words)}" if roll < 0.5 else
            rng.choice(self.words))
        return "/?" + urlencode({"q": q})

    def work(self) -> str:
        return f"/works/{self.rng.choice(self.work_ids)}"

    def reader(self) -> str:
        return f"/works/{self.rng.choice(self.ids)}/read/1"


def _wait_ready(client: Client, deadline: float) -> dict[str, Any]:
    while True:
        try:
            status = client.json("/api/status")
            if status["similar"] != "building":
                return dict(status)
        except (OSError, RuntimeError, http.client.HTTPException):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the server was not ready in time")
        time.sleep(0.5)


def run_bench(port: int, *, requests: int = 300, seconds: float = 600, analyse: int = 50,
              warmup: int = 10, seed: int = 0) -> dict[str, Any]:
    """Time pages against a running server on ``127.0.0.1:port``."""
    started = time.monotonic()
    rng = random.Random(seed)
    client = Client(port)
    status = _wait_ready(client, started + seconds)
    plan = _Plan(client, rng, works=int(status["works"]))
    plan.work_ids = rng.sample(plan.ids, min(analyse, len(plan.ids)))
    t0 = time.perf_counter()
    analysed = 0
    for wid in plan.work_ids:
        if client.json(f"/api/works/{wid}/analysis?compute=true")["status"] == "ready":
            analysed += 1
    analyse_seconds = round(time.perf_counter() - t0, 1)
    kinds: dict[str, Callable[[], str]] = {"library": plan.library, "search": plan.search,
                                           "work": plan.work, "reader": plan.reader}
    report: dict[str, Any] = {"works": status["works"], "server": status,
                              "analysed_work_pages": analysed, "analyse_seconds": analyse_seconds,
                              "requests_per_kind": requests, "warmup_per_kind": warmup}
    budget = started + seconds
    for name, make in kinds.items():
        for _ in range(warmup):
            client.get(make())
        app: list[float] = []
        store: list[float] = []
        wall: list[float] = []
        errors = 0
        scopes: dict[str, int] = {}
        ranked_only = 0
        sizes: list[int] = []
        for _ in range(requests):
            if time.monotonic() > budget:
                report["stopped_early"] = True
                break
            code, timing, ms, body = client.get(make())
            if code != 200:
                errors += 1
                continue
            app.append(timing.get("app", float("nan")))
            store.append(timing.get("store", 0.0))
            wall.append(ms)
            sizes.append(len(body))
            m = _SCOPE.search(body.decode("utf-8", "replace")) if name in {"library", "search"} else None
            if m:
                scopes[m.group(1)] = scopes.get(m.group(1), 0) + 1
            ranked_only += name in {"library", "search"} and b'class="flash info ranked-note"' in body
        report[name] = {"count": len(app), "errors": errors, "server": percentiles(app),
                        "store": percentiles(store), "client": percentiles(wall),
                        "mean_bytes": round(statistics.fmean(sizes)) if sizes else 0}
        if scopes:
            report[name]["sidebar_counts"] = scopes
        if name in {"library", "search"}:
            report[name]["ranked_only"] = ranked_only
    client.close()
    report["seconds"] = round(time.monotonic() - started, 1)
    return report


def _build(folder: Path, works: int, seed: int) -> dict[str, Any]:
    from ficshelf.store import open_library
    from ficshelf.synth import build_library

    with open_library(folder) as store:
        have = store.count()
        if have == works:
            return {"works": have, "built": False}
        if have:
            raise SystemExit(f"{folder} holds {have:,} works, not {works:,}: give another --library")

        def progress(done: int) -> None:
            print(f"\rbuilding: {done:,}/{works:,}", end="", file=sys.stderr, flush=True)

        info = build_library(store, works, seed=seed, progress=progress)
        print(file=sys.stderr)
        optimize = getattr(store, "optimize", None)
        if optimize is not None:
            optimize()
        return {**info, "built": True}


def main(argv: list[str] | None = None) -> int:
    doc = __doc__ or ""
    ap = argparse.ArgumentParser(prog="python -m ficshelf.web.bench", description=doc.split("\n")[0])
    ap.add_argument("--library", type=Path, required=True, help="library folder (built if empty)")
    ap.add_argument("--works", type=int, default=100_000, help="synthetic works when building")
    ap.add_argument("--requests", type=int, default=300, help="timed requests per page kind")
    ap.add_argument("--seconds", type=float, default=900, help="overall time limit")
    ap.add_argument("--analyse", type=int, default=50, help="work pages analysed beforehand")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    report: dict[str, Any] = {"build": _build(args.library, args.works, args.seed)}
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "FICSHELF_PASSWORD"}
    server = subprocess.Popen(
        [sys.executable, "-m", "ficshelf", "serve", "--library", str(args.library), "--host", HOST,
         "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        report.update(run_bench(port, requests=args.requests, seconds=args.seconds,
                                analyse=args.analyse, seed=args.seed))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    report["command"] = " ".join(["python -m ficshelf.web.bench", *(argv or sys.argv[1:])])
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
