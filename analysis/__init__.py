"""The judgement of the service, in plain Python: it imports nothing from the project.

- `analysis.types`: the vocabulary (claim types, attribution kinds, flag kinds, stances,
  recommended verdicts) and the plain data passed between the steps;
- `analysis.numbers`: the one number reader;
- `analysis.passages`: how a document is cut into the passages the corpus indexes;
- `analysis.extraction`: article in, claim candidates out;
- `analysis.corroboration`: a claim and passages in, judgements and flags out.

Nothing here touches Django, the ORM or Celery, so all of it is testable on its own;
`workers` turns its results into rows.
"""
