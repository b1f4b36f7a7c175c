"""Paragraphs → index → passages: the Chroma index, the embeddings, the keyword index and the retriever."""
