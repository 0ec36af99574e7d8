"""Prints the DAG's stage tasks rendered for one run date, as JSON (read by DagSpecTest).

Usage: python3 dags/tests/render.py 2024-01-07
"""

import json
import sys

import dag_loader

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: render.py yyyy-MM-dd")
    print(json.dumps(dag_loader.rendered_stages(dag_loader.load(), sys.argv[1]), indent=2))
