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


def ensure_database(server_url: str, name: str) -> str:
    """The database `name` on the server of `server_url`, created if missing; its URL."""
    import psycopg

    with psycopg.connect(server_url.replace("postgres://", "postgresql://", 1)) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    if not exists:
        admin_command(server_url, f'CREATE DATABASE "{name}"')
    return scratch_database_url(server_url, name)
