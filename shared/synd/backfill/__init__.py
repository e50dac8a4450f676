"""A backfill: every object under an S3 prefix through the ingest core, marked as a backfill.

The same batches run in both forms (docs/deploy.md, "Backfill"):
- in AWS, the state machine `BackfillStateMachine` (template.yaml): a Distributed Map whose
  ItemReader lists the prefix (s3:listObjectsV2) and whose ItemBatcher hands `BATCH_SIZE` keys at a
  time, `{"Items": [...], "BatchInput": {"Bucket", "Prefix", "Partner"}}`, to BackfillFunction
  (functions/backfill/app.py -> `core.process_batch`); a last step asks the renderer once;
- locally (`local.run_backfill`), the very same events through the very same handler, listed with
  ListObjectsV2 and run by a bounded pool of workers, because moto's Step Functions cannot run this
  map (its interpreter has no ItemBatcher, and its Lambda tasks need Docker).

`items` is pure (which key belongs to which partner, batching); `core` calls ingest; `sfn` starts
and follows the AWS form.
"""
