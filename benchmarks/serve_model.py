"""``python -m llama_cpp.server`` with llama.cpp's CPU weight repacking off.

On an AVX-512 CPU of this machine kind, llama-cpp-python 0.3.36 built from source segfaults on
every decode of more than one token while weights are repacked (measured 2026-12-04; the
embedded backend turns it off the same way, ``summarizer.llm._no_weight_repacking``). The
server takes no flag for it, so this wrapper sets it and hands its arguments to the server:

    python benchmarks/serve_model.py --model M.gguf --host 127.0.0.1 --port 8765 ...
"""

from __future__ import annotations

import llama_cpp.llama_cpp as ll
from llama_cpp.server.__main__ import main

_default = ll.llama_model_default_params


def _params():  # type: ignore[no-untyped-def]
    out = _default()
    out.use_extra_bufts = False
    return out


if __name__ == "__main__":
    ll.llama_model_default_params = _params
    main()
