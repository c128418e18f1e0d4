"""A file-drop API: PUT a file, GET it back, list what is stored. Files live in UPLOAD_DIR."""
import os
from pathlib import Path

import psycopg
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import PlainTextResponse

UPLOAD_DIR = os.environ.get("UPLOAD_DIR", "uploads")
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", "1048576"))

app = FastAPI(title="file drop")


def stored(name: str) -> Path:
    if "/" in name or name.startswith("."):
        raise HTTPException(status_code=400, detail="bad file name")
    return Path(UPLOAD_DIR) / name


@app.get("/health")
def health():
    # The driver is ready for a DATABASE_URL even when none is configured: report the libpq it loaded.
    return {"status": "ok", "libpq": psycopg.pq.version() // 10000, "database": bool(os.environ.get("DATABASE_URL"))}


@app.put("/files/{name}", status_code=201)
async def upload(name: str, request: Request):
    body = await request.body()
    if len(body) > MAX_UPLOAD_BYTES:
        raise HTTPException(status_code=413, detail="too large")
    os.makedirs(UPLOAD_DIR, exist_ok=True)
    stored(name).write_bytes(body)
    return {"name": name, "bytes": len(body)}


@app.get("/files/{name}", response_class=PlainTextResponse)
def download(name: str):
    path = stored(name)
    if not path.is_file():
        raise HTTPException(status_code=404, detail="no such file")
    return path.read_text()


@app.get("/files")
def listing():
    folder = Path(UPLOAD_DIR)
    return {"files": sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []}
