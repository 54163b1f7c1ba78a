"""Data for development and demonstration: ``load_demo`` (the 2024 edition from the seed and a
labelled sample edition), ``generate_scale_data`` and ``ensure_local_admin``."""
