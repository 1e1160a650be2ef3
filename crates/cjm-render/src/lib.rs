//! Renders journey maps and charts to SVG, PNG, PDF, HTML, Markdown and CSV.
