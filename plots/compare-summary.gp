# rescalesim plots: the cost of one scenario under each scheduler
# (rescalesim plot COMPARE_DIR, first figure).
#
# Four panels side by side, one per metric: downtime, job stops (every
# interval without processing: restarts, rescales and resubmissions
# together), rescales (the deliberate ones among them) and reprocessed
# records; one bar per scheduler at the mean over its seeds, with an error
# bar from the smallest to the largest seed. The program passes, with -e:
#   fmt, outfile   "png" or "svg", and the file to write;
#   plot_title     the scenario's name;
#   barsfile       one line per scheduler, comma-separated: 1 index,
#                  2 scheduler, 3 number of seeds, then mean, min and max of
#                  downtime_s (4-6), job_stops (7-9), rescales (10-12) and
#                  reprocessed_records (13-15);
#   n_sched        the number of schedulers.

load plots_dir . "/common.gp"

stats barsfile using 15 nooutput
rep_max = STATS_max
rep_div = unit_scale(rep_max)

set label 1 "bar: mean over seeds; error bar: smallest to largest seed" at screen 0.5, screen 0.05 center
set multiplot layout 1,4 title plot_title font ",14" margins 0.06, 0.98, 0.14, 0.88 spacing 0.07, 0
set style fill solid 0.75 border lc rgb "#444444"
set boxwidth 0.6
set xrange [0.4:n_sched + 0.6]
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
set xtics scale 0
set grid noxtics ytics
set border 3
label(i) = sprintf("%s\n(%d seed%s)", strcol(2), column(3), column(3) == 1 ? "" : "s")

set title "downtime" font ",13"
set ylabel "downtime (s)"
plot barsfile using 1:4:(0.6):1:xtic(label(0)) with boxes lc variable notitle, \
     barsfile using 1:4:5:6 with yerrorbars pt 0 ps 0 lw 1.5 lc rgb "#222222" notitle

set title "job stops"
set ylabel "job stops (count)"
plot barsfile using 1:7:(0.6):1:xtic(label(0)) with boxes lc variable notitle, \
     barsfile using 1:7:8:9 with yerrorbars pt 0 ps 0 lw 1.5 lc rgb "#222222" notitle

set title "rescales"
set ylabel "rescales (count)"
plot barsfile using 1:10:(0.6):1:xtic(label(0)) with boxes lc variable notitle, \
     barsfile using 1:10:11:12 with yerrorbars pt 0 ps 0 lw 1.5 lc rgb "#222222" notitle

set title "reprocessed records"
set ylabel "reprocessed (" . unit_word(rep_max) . "records)"
plot barsfile using 1:($13/rep_div):(0.6):1:xtic(label(0)) with boxes lc variable notitle, \
     barsfile using 1:($13/rep_div):($14/rep_div):($15/rep_div) with yerrorbars pt 0 ps 0 lw 1.5 lc rgb "#222222" notitle

unset multiplot
