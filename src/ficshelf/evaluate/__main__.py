"""``python -m ficshelf.evaluate [--shared PATH] [--datasets seeds,fanfic,...] [--details]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ficshelf.evaluate import DATASETS, run

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parents[3]
    parser = argparse.ArgumentParser(prog="python -m ficshelf.evaluate",
                                     description="Score the understanding pipeline on ../shared.")
    parser.add_argument("--shared", type=Path, default=here.parent / "shared")
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--no-canon", action="store_true", help="text-only runs only")
    parser.add_argument("--details", action="store_true", help="per-work records too")
    args = parser.parse_args(argv)
    run(args.shared, datasets=[d for d in args.datasets.split(",") if d], canon=not args.no_canon,
        details=args.details)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
