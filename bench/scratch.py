"""A scratch PostgreSQL database for a benchmark, on the server of DATABASE_URL."""

from urllib.parse import urlsplit, urlunsplit


def scratch_database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_command(server_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        server_url.replace("postgres://", "postgresql://", 1), autocommit=True
    ) as c:
        c.execute(sql)
