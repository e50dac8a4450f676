"""The site's per-language renderer: feeds, language index, monthly archive pages and the root index,
rendered from the feed entries the site target stores, once per burst (issue 11, item 1).

    entries.py   the feed entries and render state in the table (DynamoDB adapter)
    outputs.py   the rendered files in the site bucket, written only when their bytes change (S3 adapter)
    renderer.py  what to render for a language and rendering it (no AWS of its own: the adapters above)
    requests.py  render requests on the FIFO render queue (one message group per language)

functions/render/app.py is the Lambda handler (SQS FIFO batches); synd.targets.site writes the entries.
"""
