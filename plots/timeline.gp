# rescalesim plots: the timeline of one run (rescalesim plot RUN_DIR).
#
# Three panels over a shared x axis in minutes: input rate and throughput
# (records/s), lag (records), parallelism and TaskManagers (step lines).
# Outages are shaded on every panel; failover restarts, resubmissions and
# rescale restores are dashed vertical lines. The program passes, with -e:
#   fmt, outfile      "png" or "svg", and the file to write;
#   datafile          the run's timeseries.csv (header on line 1; t_s in
#                     column 1);
#   plot_title        scenario, scheduler and Flink version;
#   t_end             the run's duration in minutes;
#   outages           "start end start end ..." in minutes;
#   failovers, resubmits, restores
#                     "t t ..." in minutes;
#   n_vertices        the job's vertices (0 for a time series without
#                     per-vertex columns, or for more than 12 vertices);
#   vertex_I          for I = 1..n_vertices, the name of vertex I.
# Columns of timeseries.csv: 1 t_s, 2 input_rate, 3 processed_rate,
# 4 lag_records, 5 capacity, 6 parallelism (the largest vertex's),
# 7 taskmanagers, 8 slots, 9 job_state, 10 phase, then 11.. one
# parallelism.VERTEX column per vertex.

load plots_dir . "/common.gp"

n_outages = words(outages) / 2
n_failovers = words(failovers)
n_resubmits = words(resubmits)
n_restores = words(restores)

# The marks of the run on the current panel: shaded outages behind the data
# and dashed vertical lines for restarts. Objects and arrows are numbered so
# that each panel replaces the previous panel's.
mark_panel = "unset object; unset arrow; \
  do for [i=1:n_outages] { \
    set object i rect from word(outages, 2*i-1)+0.0, graph 0 to word(outages, 2*i)+0.0, graph 1 \
      behind fillstyle solid 0.15 noborder fillcolor rgb outage_colour }; \
  do for [i=1:n_failovers] { \
    set arrow i from word(failovers, i)+0.0, graph 0 to word(failovers, i)+0.0, graph 1 \
      nohead front dt 2 lw 1.5 lc rgb failover_colour }; \
  do for [i=1:n_resubmits] { \
    set arrow 1000+i from word(resubmits, i)+0.0, graph 0 to word(resubmits, i)+0.0, graph 1 \
      nohead front dt 3 lw 1.5 lc rgb resubmit_colour }; \
  do for [i=1:n_restores] { \
    set arrow 2000+i from word(restores, i)+0.0, graph 0 to word(restores, i)+0.0, graph 1 \
      nohead front dt 4 lw 1.5 lc rgb restore_colour }"

# Legend entries for the marks this run has, drawn from no data (NaN).
marks_legend = "NaN notitle"
if (n_outages > 0) {
    marks_legend = marks_legend . ", NaN with boxes fillstyle solid 0.15 noborder lc rgb outage_colour title 'outage'"
}
if (n_failovers > 0) {
    marks_legend = marks_legend . ", NaN with lines dt 2 lw 1.5 lc rgb failover_colour title 'failover restart'"
}
if (n_resubmits > 0) {
    marks_legend = marks_legend . ", NaN with lines dt 3 lw 1.5 lc rgb resubmit_colour title 'resubmit'"
}
if (n_restores > 0) {
    marks_legend = marks_legend . ", NaN with lines dt 4 lw 1.5 lc rgb restore_colour title 'rescale restore'"
}

stats datafile using 2 every ::1 nooutput
rate_max = STATS_max
stats datafile using 3 every ::1 nooutput
rate_max = STATS_max > rate_max ? STATS_max : rate_max
stats datafile using 4 every ::1 nooutput
lag_max = STATS_max
rate_div = unit_scale(rate_max)
lag_div = unit_scale(lag_max)

set multiplot title plot_title font ",14"
set xrange [0:t_end]
set lmargin at screen 0.09
set rmargin at screen 0.76
set key at screen 0.775, graph 1 left top Left reverse samplen 3 spacing 1.2 box lc rgb "#bbbbbb"

# Panel 1: rates.
set tmargin at screen 0.93
set bmargin at screen 0.68
set format x ""
set ylabel unit_word(rate_max) . "records/s"
set yrange [0:*]
eval mark_panel
# A row's rates are averages over the interval since the row before, which
# the lean series does not space evenly: drawn as steps back to that row.
plot datafile using ($1/60):($2/rate_div) every ::1 with fsteps lt 1 title "input rate", \
     datafile using ($1/60):($3/rate_div) every ::1 with fsteps lt 2 title "throughput", \
     @marks_legend

# Panel 2: lag.
set tmargin at screen 0.64
set bmargin at screen 0.39
set ylabel "lag (" . unit_word(lag_max) . "records)"
set yrange [0:*]
eval mark_panel
plot datafile using ($1/60):($4/lag_div) every ::1 with lines lt 4 title "lag"

# Panel 3: parallelism and TaskManagers.
set tmargin at screen 0.35
set bmargin at screen 0.08
set format x "%g"
set xlabel "simulated time (min)"
set ylabel "count"
set yrange [0:*]
set offsets 0, 0, 1, 0
eval mark_panel
# One step line per vertex, titled by its name; the largest vertex's when
# the file has no such columns.
vname(i) = value(sprintf("vertex_%d", i))
if (n_vertices > 0) {
    plot for [i=1:n_vertices] datafile using ($1/60):(column(10+i)) every ::1 with steps lt i+4 dt i \
             title sprintf("parallelism of %s", vname(i)), \
         datafile using ($1/60):7 every ::1 with steps lt 3 title "TaskManagers alive"
} else {
    plot datafile using ($1/60):6 every ::1 with steps lt 1 title "parallelism (largest vertex)", \
         datafile using ($1/60):7 every ::1 with steps lt 3 title "TaskManagers alive"
}

unset multiplot
