"""Prints the DAG's stage tasks rendered for one run date, as JSON: each task's rendered fields
and the spark-submit argv its operator runs (read by DagSpecTest and ClusterSubmitIT).

Usage: python3 dags/tests/render.py 2024-01-07 [--master local[2]] [--deploy-mode client]
           [--var kindling_config=/path/to.conf ...]
"""

import argparse
import json

import dag_loader

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ds", help="the run date, yyyy-MM-dd")
    parser.add_argument("--master", default="yarn", help="the spark_default connection's master")
    parser.add_argument("--deploy-mode", default=None, help="the connection's deploy mode")
    parser.add_argument(
        "--var", action="append", default=[], metavar="KEY=VALUE", help="an Airflow Variable"
    )
    options = parser.parse_args()
    variables = dict(v.split("=", 1) for v in options.var)
    stages = dag_loader.rendered_stages(
        dag_loader.load(), options.ds, variables, options.master, options.deploy_mode
    )
    print(json.dumps(stages, indent=2))
