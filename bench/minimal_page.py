"""The yardstick of bench/first_paint.py: one st.metric and one small Plotly bar chart, nothing else."""

import plotly.graph_objects as go
import streamlit as st

st.metric("Tổng điểm", "73,79")
st.plotly_chart(go.Figure(go.Bar(x=["A", "B", "C"], y=[1, 3, 2])), height=300)
