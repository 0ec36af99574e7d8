from airflow._stub import Variable

__all__ = ["Variable"]
