"""The project's own tooling: workflows, JSON Schemas, benchmarks."""
