"""Questions users ask of a model: resistance across contexts and treatments, the review's claims."""
