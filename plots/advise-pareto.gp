# rescalesim plots: the advisor's Pareto front (rescalesim advise).
#
# One panel per objective: every candidate's mean cost (x) against its
# estimate of the objective's statistic (y) with the confidence interval
# as an error bar; candidates racing dropped are hollow, the others
# filled; the Pareto front (no candidate both cheaper and better) is a
# line; the objective's bound is a dashed line; the recommended candidate
# is a star. The program passes, with -e:
#   fmt, outfile       "png" or "svg", and the file to write;
#   datafile           comma-separated, per objective j (from 0): block 2j
#                      rows cost, estimate, low, high, dropped (0/1),
#                      recommended (0/1); block 2j+1 the front by cost:
#                      cost, estimate;
#   plot_title         the scenario's name;
#   cost_label         the cost's name and unit;
#   n_obj              the number of objectives;
#   obj_label_J, bound_J   for J = 0..n_obj-1: the objective's metric and
#                      statistic, and its bound.

load plots_dir . "/common.gp"

rows = n_obj > 2 ? 2 : 1
cols = n_obj > 2 ? (n_obj + 1) / 2 : n_obj
set multiplot layout rows, cols title plot_title . ": cost against each objective" font ",14"
set xlabel cost_label
set key top right box lc rgb "#bbbbbb"
do for [j=0:n_obj-1] {
    b = value(sprintf("bound_%d", j))
    set ylabel value(sprintf("obj_label_%d", j))
    set title value(sprintf("obj_label_%d", j)) . " (bound " . sprintf("%g", b) . ")"
    set arrow 1 from graph 0, first b to graph 1, first b nohead dt 2 lw 1.5 lc rgb "#d62728"
    plot datafile index 2*j using 1:($5 == 0 ? $2 : NaN):3:4 with yerrorbars lt 1 pt 7 ps 1.1 title "candidate (mean cost, estimate, interval)", \
         datafile index 2*j using 1:($5 == 1 ? $2 : NaN) with points lt 1 pt 6 ps 1.1 title "dropped by racing", \
         datafile index 2*j+1 using 1:2 with lines lt 2 lw 2 title "Pareto front", \
         datafile index 2*j using 1:($6 == 1 ? $2 : NaN) with points lt 3 pt 3 ps 3 lw 2 title "recommended", \
         NaN with lines dt 2 lw 1.5 lc rgb "#d62728" title "bound"
    set key off
}
unset multiplot
