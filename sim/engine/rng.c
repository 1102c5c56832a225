/* rescalesim engine: named random streams and their distributions.
 *
 * Every random draw in a simulation comes from a named stream (one per
 * purpose: "tm-failures", "checkpoint-duration", ...). A stream's seed is a
 * function of the run seed and the stream's name alone, so adding a stream,
 * or a draw from one stream, never shifts the numbers another stream gives.
 * The generators are GSL's; GSL types stay in this file.
 *
 * Generator: gsl_rng_taus2 (L'Ecuyer's maximally equidistributed combined
 * Tausworthe generator). Its state is three words (24 bytes) against 2.5 KB
 * for gsl_rng_mt19937, and seeding it costs a few operations against 624, so
 * the model can afford one stream per entity (per TaskManager, say) even in a
 * cluster of 100,000; it is also faster per draw, and its period of 2^88 is
 * far beyond the draws any simulation makes. Like MT19937 it is F2-linear
 * and fails only the linear-complexity and matrix-rank tests, which do not
 * matter here.
 *
 * GSL's gsl_rng_set() seeds taus2 from 32 bits (it reduces the seed modulo
 * 2^32). The 64-bit stream seed is therefore folded to 32 bits; two names of
 * one run share a sequence with probability 2^-32 per pair. */
#include "engine/engine-private.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

struct RsimRng {
  gsl_rng *gen;
  char *name;
};

guint64
rsim__fnv1a64 (const char *s)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325); /* offset basis */
  for (const unsigned char *p = (const unsigned char *) s; *p != '\0'; p++) {
    h ^= *p;
    h *= G_GUINT64_CONSTANT (0x100000001b3); /* FNV prime */
  }
  return h;
}

guint64
rsim__splitmix64 (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

guint64
rsim__rng_stream_seed (guint64 run_seed, const char *name)
{
  g_return_val_if_fail (name != NULL, 0);
  /* Each input is mixed before they are combined, so nearby run seeds and
   * similar names ("tm-1", "tm-2") still give unrelated stream seeds. */
  return rsim__splitmix64 (rsim__splitmix64 (run_seed) ^ rsim__fnv1a64 (name));
}

RsimRng *
rsim__rng_new (guint64 run_seed, const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  guint64 seed = rsim__rng_stream_seed (run_seed, name);
  RsimRng *rng = g_new (RsimRng, 1);
  rng->gen = gsl_rng_alloc (gsl_rng_taus2);
  if (rng->gen == NULL)
    g_error ("rsim_engine_rng: cannot allocate a GSL generator");
  /* Folded to the 32 bits gsl_rng_set() uses for taus2. */
  gsl_rng_set (rng->gen, (unsigned long) ((seed ^ (seed >> 32)) & G_MAXUINT32));
  rng->name = g_strdup (name);
  return rng;
}

void
rsim__rng_free (RsimRng *rng)
{
  if (rng == NULL)
    return;
  gsl_rng_free (rng->gen);
  g_free (rng->name);
  g_free (rng);
}

const char *
rsim__rng_name (const RsimRng *rng)
{
  g_return_val_if_fail (rng != NULL, NULL);
  return rng->name;
}

double
rsim_rng_uniform (RsimRng *rng)
{
  g_return_val_if_fail (rng != NULL, 0.0);
  return gsl_rng_uniform (rng->gen);
}

double
rsim_rng_uniform_range (RsimRng *rng, double lo, double hi)
{
  g_return_val_if_fail (rng != NULL, lo);
  g_return_val_if_fail (lo <= hi, lo);
  return gsl_ran_flat (rng->gen, lo, hi);
}

/* 64 uniform bits from two draws (taus2 gives 32 bits per draw, over its
 * full range [0, 2^32 - 1]). */
static guint64
draw_u64 (RsimRng *rng)
{
  guint64 hi = gsl_rng_get (rng->gen) & G_MAXUINT32;
  guint64 lo = gsl_rng_get (rng->gen) & G_MAXUINT32;
  return (hi << 32) | lo;
}

guint64
rsim_rng_uint (RsimRng *rng, guint64 n)
{
  g_return_val_if_fail (rng != NULL, 0);
  g_return_val_if_fail (n >= 1, 0);

  /* gsl_rng_uniform_int() accepts n up to the generator's range
   * (max - min = 2^32 - 1 for taus2) and draws one number per try. */
  if (n <= gsl_rng_max (rng->gen) - gsl_rng_min (rng->gen))
    return gsl_rng_uniform_int (rng->gen, (unsigned long) n);

  /* Larger n: draw 64 bits and reject the 2^64 mod n smallest values, so the
   * accepted range is a whole number of copies of [0, n) and x mod n is
   * uniform. (-n) % n is 2^64 mod n in unsigned arithmetic. The rejected
   * share, (2^64 mod n) / 2^64, is below one half for every n. */
  guint64 reject_below = (0 - n) % n;
  guint64 x;
  do
    x = draw_u64 (rng);
  while (x < reject_below);
  return x % n;
}

double
rsim_rng_exponential (RsimRng *rng, double mean)
{
  g_return_val_if_fail (rng != NULL, 0.0);
  g_return_val_if_fail (mean >= 0.0, 0.0);
  /* GSL's parameter is the mean, not the rate. */
  return gsl_ran_exponential (rng->gen, mean);
}

double
rsim_rng_normal (RsimRng *rng, double mean, double stddev)
{
  g_return_val_if_fail (rng != NULL, mean);
  g_return_val_if_fail (stddev >= 0.0, mean);
  return mean + gsl_ran_gaussian (rng->gen, stddev);
}

double
rsim_rng_lognormal (RsimRng *rng, double mu, double sigma)
{
  g_return_val_if_fail (rng != NULL, 0.0);
  g_return_val_if_fail (sigma >= 0.0, 0.0);
  /* GSL: zeta = mu (mean of the logarithm), sigma its standard deviation. */
  return gsl_ran_lognormal (rng->gen, mu, sigma);
}

double
rsim_rng_weibull (RsimRng *rng, double scale, double shape)
{
  g_return_val_if_fail (rng != NULL, 0.0);
  g_return_val_if_fail (scale > 0.0, 0.0);
  g_return_val_if_fail (shape > 0.0, 0.0);
  /* GSL: gsl_ran_weibull (r, a = scale, b = shape). */
  return gsl_ran_weibull (rng->gen, scale, shape);
}
