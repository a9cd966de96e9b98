"""Build ``summarizer/data/first_names.tsv`` from nomquamgender's name data (MIT).

nomquamgender (https://github.com/ianvanbuskirk/nomquamgender, Ian Van Buskirk, 2022) holds
the share of women among the bearers of 721,739 given names, counted over many national
registries. The attribution reader only needs the common, unambiguous ones (a "he said" after
"Tammy Baldwin" is not her), so this keeps names borne at least 1,000 times, marked f or m
when at least 95 % of their bearers are women or men and x otherwise; the package itself is
not a dependency (it pulls pandas and loads 720k names).

    pip download --no-deps nomquamgender==0.1.4 -d /tmp/nqg && cd /tmp/nqg && unzip -o *.whl
    python scripts/build_first_names.py /tmp/nqg/nomquamgender/name_data.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

MIN_COUNT = 1000
SHARE = 0.95


def main(source: str) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    rows = []
    for name, info in sorted(data.items()):
        count, female = info[1], info[2]
        if not re.fullmatch(r"[a-z]+", name) or count < MIN_COUNT or female is None:
            continue
        if female >= SHARE:
            rows.append(f"{name}\tf")
        elif female <= 1 - SHARE:
            rows.append(f"{name}\tm")
        else:
            rows.append(f"{name}\tx")  # a given name, of either gender ("Hillary", 92 %)
    out = Path(__file__).resolve().parent.parent / "summarizer" / "data" / "first_names.tsv"
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{out}: {len(rows)} names")


if __name__ == "__main__":
    main(sys.argv[1])
