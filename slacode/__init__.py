"""slacode: service-level agreements as code.

The pipeline, one package per stage, each over plain dataclasses:

    load (+validate) -> pull -> evaluate -> ledger -> render

``slacode.model`` holds the agreement, ``slacode.pull.base`` the measurements,
``slacode.evaluate.results`` the results; those three files are the contracts
between stages.
"""

__version__ = "0.1.0"
