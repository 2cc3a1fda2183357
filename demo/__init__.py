"""Demo accounts and synthetic data (`manage.py seed_demo`), kept out of the core so `tksk`
depends on no app. Never for a production database."""
