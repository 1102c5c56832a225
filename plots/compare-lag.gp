# rescalesim plots: lag over time under each scheduler
# (rescalesim plot COMPARE_DIR, second figure).
#
# One line per scheduler (its first seed's run), one colour each, over a
# shared x axis in minutes; each run's outages are shaded lightly in its
# scheduler's colour. The program passes, with -e:
#   fmt, outfile      "png" or "svg", and the file to write;
#   plot_title        the scenario's name;
#   t_end             the longest run's duration in minutes;
#   n_runs            the number of schedulers;
#   file_I, name_I    for I = 1..n_runs: the run's timeseries.csv and a
#                     legend entry ("default, seed 1");
#   outages_I         the run's outages, "start end start end ..." in
#                     minutes.

load plots_dir . "/common.gp"

set title plot_title font ",14"
set lmargin at screen 0.09
set rmargin at screen 0.76
set key at screen 0.775, graph 1 left top Left reverse samplen 3 spacing 1.2 box lc rgb "#bbbbbb"
set xrange [0:t_end]
set yrange [0:*]
set xlabel "simulated time (min)"

lag_max = 0
do for [r=1:n_runs] {
    stats value(sprintf("file_%d", r)) using 4 every ::1 nooutput
    lag_max = STATS_max > lag_max ? STATS_max : lag_max
}
lag_div = unit_scale(lag_max)
set ylabel "lag (" . unit_word(lag_max) . "records)"

k = 0
do for [r=1:n_runs] {
    o = value(sprintf("outages_%d", r))
    do for [i=1:words(o)/2] {
        k = k + 1
        set object k rect from word(o, 2*i-1)+0.0, graph 0 to word(o, 2*i)+0.0, graph 1 \
            behind fillstyle transparent solid 0.12 noborder fillcolor rgb scheduler_colour(r)
    }
}

plot for [r=1:n_runs] value(sprintf("file_%d", r)) using ($1/60):($4/lag_div) every ::1 \
         with lines lt r title value(sprintf("name_%d", r)), \
     NaN with boxes fillstyle solid 0.3 noborder lc rgb "#999999" title "outage (run's colour)"
