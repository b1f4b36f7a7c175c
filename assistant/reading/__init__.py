"""Reading a question: the ``Query`` record, the scope it names, and the one table of answer kinds and word lists."""
