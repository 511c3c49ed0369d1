"""Language data for screening, one concept per module (like spaCy's spacy/lang/fi/)."""
