"""The machinery behind Deep Notes' pages: what the build hooks, the tests, `make outputs` and the
benchmarks share. One module per concept: paths, sections, runner, compare, pages, notebooks,
fixture, records."""
