# rescalesim plots: settings shared by every template (loaded first).
#
# Chooses the terminal from the variable fmt ("png" or "svg"), 1200x900
# pixels: pngcairo when this gnuplot has it, else the libgd png terminal.
# Text is never "enhanced" (no ^ _ @ markup), so scenario names and
# scheduler names print as they are. Line types 1-6 are six distinct
# colours (repeating after six); scheduler_colour(i) is line type i's
# colour as a string, for shaded rectangles.

if (fmt eq "svg") {
    set terminal svg size 1200,900 dynamic noenhanced font "sans,12" background rgb "white"
} else {
    if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
        set terminal pngcairo size 1200,900 noenhanced font "sans,11" background rgb "white"
    } else {
        set terminal png size 1200,900 noenhanced
    }
}
set output outfile
set datafile separator ","
set datafile missing "nan"
set grid xtics ytics lc rgb "#dddddd" lw 1 dt 1
set border 3 lc rgb "#444444"
set tics nomirror out

set linetype 1 lc rgb "#1f77b4" lw 2
set linetype 2 lc rgb "#ff7f0e" lw 2
set linetype 3 lc rgb "#2ca02c" lw 2
set linetype 4 lc rgb "#9467bd" lw 2
set linetype 5 lc rgb "#8c564b" lw 2
set linetype 6 lc rgb "#e377c2" lw 2
set linetype cycle 6
outage_colour = "#d62728"
failover_colour = "#d62728"
resubmit_colour = "#7f7f7f"
restore_colour = "#9467bd"
scheduler_colour(i) = word("#1f77b4 #ff7f0e #2ca02c #9467bd #8c564b #e377c2", (i - 1) % 6 + 1)

# Axis units for counts that may reach millions: values are divided by
# unit_scale(m) and the axis label says unit_word(m), where m is the
# largest value shown ("thousand ", "million ", ...), so tick labels stay
# short and exact ("1.5", not "1M").
unit_scale(m) = m >= 1e9 ? 1e9 : m >= 1e6 ? 1e6 : m >= 1e4 ? 1e3 : 1
unit_word(m) = m >= 1e9 ? "billion " : m >= 1e6 ? "million " : m >= 1e4 ? "thousand " : ""
set format y "%g"
