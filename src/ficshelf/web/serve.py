"""``ficshelf serve``: run the web app with uvicorn.

Anything but a loopback address needs a password (``check_bind``); the
command refuses to start otherwise, with a one-line error.
"""

from __future__ import annotations

import os
from pathlib import Path

from ficshelf.store import default_library_dir
from ficshelf.web.security import check_bind

__all__ = ["serve"]


def serve(library: str | os.PathLike[str] | None, *, host: str = "127.0.0.1", port: int = 8000,
          password: str | None = None, max_upload_mb: int = 50, log_level: str = "info") -> None:
    """Serve the library until interrupted."""
    import uvicorn

    from ficshelf.web.app import create_app

    check_bind(host, password)
    folder = Path(library) if library is not None else default_library_dir()
    app = create_app(folder, password=password, max_upload=max_upload_mb * 1024 * 1024)
    shown = f"[{host}]" if ":" in host else host
    print(f"ficshelf: serving {folder} at http://{shown}:{port}/ "
          f"({'password required' if password else 'no password'}; Ctrl+C stops)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False,
                proxy_headers=False)
