"""The benchmark moved into the package: ``python -m peacetalks.bench`` (``make bench``).

Kept so that ``python benchmarks/bench.py`` still works; it runs the same thing.
"""

from peacetalks.bench import main

if __name__ == "__main__":
    main()
