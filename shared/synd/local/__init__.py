"""Running the pipeline locally: moto server, resources provisioned from template.yaml, handlers in process."""
