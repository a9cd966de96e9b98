"""``python -m llama_cpp.server`` with llama.cpp's CPU weight repacking off.

On an AVX-512 CPU of this machine kind, llama-cpp-python 0.3.36 built from source segfaults on
every decode of more than one token while weights are repacked (measured 2026-12-04). The
server takes no flag for it, so this wrapper runs the server inside the embedded backend's own
fix (``summarizer.llm._no_weight_repacking``) and hands it its arguments:

    python benchmarks/serve_model.py --model M.gguf --host 127.0.0.1 --port 8765 ...
"""

from __future__ import annotations

from llama_cpp.server.__main__ import main

from summarizer.llm import _no_weight_repacking

if __name__ == "__main__":
    with _no_weight_repacking():  # held until the server exits: it loads the model inside
        main()
