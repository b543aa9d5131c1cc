"""One module per chart. Each exposes prepare(content) -> data, draw(data) -> matplotlib Figure,
caption(data), alt_text(data) and table(data); matplotlib is imported only inside draw()."""

CHARTS = ("agreements_over_time", "agreements_by_model", "participation_by_state")
