"""A stand-in for the few Airflow names kindling_nightly.py uses, for tests on a machine without
Airflow (it cannot be installed from this machine's package registries).

It keeps what the tests check: the DAG's arguments, the task graph, and template rendering with
Jinja as Airflow renders a task's template fields (native objects when the DAG asks for them).
It rejects arguments the real classes do not take. On a machine with Airflow, the DagBag import
test (dags/README.md) replaces it.
"""

from airflow._stub import DAG

__all__ = ["DAG"]
