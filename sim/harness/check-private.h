/* Regression check internals shared with its tests: the tolerance rule.
 *
 * A numeric metric passes when |value - base| <= max (abs, rel * |base|).
 * Equal values always pass (also infinities, and NaN against NaN); any
 * other non-finite value fails whatever the tolerance. A slack of 1e-12 of
 * the larger magnitude absorbs the binary rounding of decimal figures, so
 * that 10.5 against 10 with abs 0.5 passes however the three numbers
 * round; it is far below the resolution of every metric (the report prints
 * 12 significant digits). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* max (abs_tol, rel_tol * |base|): the largest difference allowed. */
double rsim__check_allowed (double base, double abs_tol, double rel_tol);

/* TRUE when value is within the tolerance of base (see above). */
gboolean rsim__check_within (double base, double value, double abs_tol,
                             double rel_tol);

G_END_DECLS
