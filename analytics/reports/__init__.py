"""What the dashboard hands to people: the paragraph, the Word brief and notice, the Excel workbook,
CSV files and chart images. Nothing in the analyses imports this package."""
