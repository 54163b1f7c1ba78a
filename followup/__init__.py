"""From signature to money (domain): the stages of each signed agreement, the ledger of capital
actually in place with its private evidence, the office and case officer responsible for it, and
the outcome rates the public pages report. The agreement itself belongs to events."""
