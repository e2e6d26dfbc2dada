"""The portal's database backend: Django's PostgreSQL backend, health-checked for less
(``refuge/db/base.py``). ``ENGINE = "refuge.db"``."""
