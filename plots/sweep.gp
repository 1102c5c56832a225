# rescalesim plots: a sweep's cost against one axis
# (rescalesim plot SWEEP_DIR, one figure per swept axis).
#
# Five panels (downtime, job stops, rescales, reprocessed records, peak
# lag), each the
# mean over the seeds of every axis point against the axis's value, with
# the 95 % confidence interval of the mean as an error bar. One line per
# scheduler and combination of the other axes' values, in one colour each,
# drawn slightly apart so that error bars at the same x do not hide each
# other. The program passes, with -e:
#   fmt, outfile      "png" or "svg", and the file to write;
#   plot_title        the scenario's name and the axis;
#   datafile          one block per line (two blank lines apart), rows
#                     comma-separated: 1 x, 2 the axis value as written,
#                     then mean, ci95 low and ci95 high of downtime_s
#                     (3-5), job_stops (6-8), rescales (9-11),
#                     reprocessed_records (12-14) and max_lag_records
#                     (15-17); "nan" where undefined;
#   x_label           the axis's name (and unit);
#   categorical       1 when x is the position of a value that is not a
#                     number (the values label the ticks), else 0;
#   x_min, x_max      the smallest and largest x;
#   rep_max, lag_max  the largest reprocessed count and lag shown;
#   y_max_M           for M = 0..4, the largest mean or ci95 high of
#                     metric M (the panel's y range).
#   n_series, name_I  the number of lines and, for I = 1..n_series, the
#                     legend entry of line I.

load plots_dir . "/common.gp"

span = x_max > x_min ? x_max - x_min : 1.0
pad = categorical ? 0.5 : 0.06 * span
set xrange [x_min - pad : x_max + pad]
# The lines' horizontal offsets: a fraction of the spacing of the points.
step = categorical ? 1.0 : span / 10.0
nudge(i) = n_series > 1 ? (i - (n_series + 1) / 2.0) * 0.12 * step / n_series : 0
rep_div = unit_scale(rep_max)
lag_div = unit_scale(lag_max)

set multiplot layout 2,3 title plot_title font ",14" margins 0.07, 0.98, 0.2, 0.91 spacing 0.07, 0.14
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set xlabel x_label
if (categorical) { set xtics scale 0 }

# The legend sits below the panels, once for the figure.
set key at screen 0.5, screen 0.01 center bottom horizontal maxrows 3 samplen 3 spacing 1.1 width 2 box lc rgb "#bbbbbb"
set label 1 "point: mean over seeds; error bar: 95 % confidence interval of the mean" at screen 0.5, screen 0.1 center

do for [m=0:4] {
    col = 3 + 3 * m
    div = m == 3 ? rep_div : m == 4 ? lag_div : 1
    top = value(sprintf("y_max_%d", m)) / div
    set yrange [0 : top > 0 ? top * 1.08 : 1]
    if (m == 0) { set title "downtime" font ",13"; set ylabel "downtime (s)" }
    if (m == 1) { set title "job stops"; set ylabel "job stops (count, mean)" }
    if (m == 2) { set title "rescales"; set ylabel "rescales (count, mean)" }
    if (m == 3) { set title "reprocessed records"; set ylabel "reprocessed (" . unit_word(rep_max) . "records)" }
    if (m == 4) { set title "peak lag"; set ylabel "peak lag (" . unit_word(lag_max) . "records)" }
    if (m > 0) { set key off; unset label 1 }
    # Error bars first, the lines and points over them; the tick labels of
    # a categorical axis come from an invisible plot at the unshifted x.
    if (categorical) {
        plot for [s=1:n_series] datafile index s-1 using ($1 + nudge(s)):(column(col)/div):(column(col+1)/div):(column(col+2)/div) \
                 with yerrorbars lt s pt 0 notitle, \
             for [s=1:n_series] datafile index s-1 using ($1 + nudge(s)):(column(col)/div) \
                 with linespoints lt s pt 7 ps 1.2 title value(sprintf("name_%d", s)), \
             datafile using 1:(NaN):xtic(2) with points notitle
    } else {
        plot for [s=1:n_series] datafile index s-1 using ($1 + nudge(s)):(column(col)/div):(column(col+1)/div):(column(col+2)/div) \
                 with yerrorbars lt s pt 0 notitle, \
             for [s=1:n_series] datafile index s-1 using ($1 + nudge(s)):(column(col)/div) \
                 with linespoints lt s pt 7 ps 1.2 title value(sprintf("name_%d", s))
    }
}
unset multiplot
