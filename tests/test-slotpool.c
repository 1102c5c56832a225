/* Tests of the slot pool (sim/model/slotpool.c): slots handed out lowest
 * TaskManager id first, counters that match a recount, release by the
 * owner only, a TaskManager's slots gone when it leaves. */
#include <criterion/criterion.h>

#include "model/model.h"

Test (slotpool, reserves_lowest_taskmanager_first_and_counts)
{
  RsimSlotPool *pool = rsim_slot_pool_new ();
  rsim_slot_pool_add_tm (pool, 1, 2);
  rsim_slot_pool_add_tm (pool, 0, 2);
  cr_expect_eq (rsim_slot_pool_registered (pool), 4);
  RsimSlotRef r[5];
  for (int k = 0; k < 4; k++)
    cr_assert (rsim_slot_pool_reserve (pool, k, &r[k]));
  cr_expect_eq (r[0].tm, 0);
  cr_expect_eq (r[0].slot, 0);
  cr_expect_eq (r[1].tm, 0);
  cr_expect_eq (r[1].slot, 1);
  cr_expect_eq (r[2].tm, 1);
  cr_expect_eq (r[3].tm, 1);
  cr_expect_not (rsim_slot_pool_reserve (pool, 4, &r[4]));
  cr_expect_eq (rsim_slot_pool_used (pool), 4);
  cr_expect_eq (rsim_slot_pool_free_slots (pool), 0);
  cr_expect_eq (rsim_slot_pool_owner (pool, r[2]), 2);
  cr_expect (rsim_slot_pool_check (pool));

  /* Only the owner releases; a freed slot is handed out again first. */
  RsimSlotRef copy = r[1];
  rsim_slot_pool_release (pool, &copy, 3);
  cr_expect_eq (rsim_slot_pool_used (pool), 4);
  rsim_slot_pool_release (pool, &r[1], 1);
  cr_expect_eq (r[1].tm, -1);
  cr_expect_eq (rsim_slot_pool_used (pool), 3);
  cr_expect (rsim_slot_pool_reserve (pool, 9, &r[4]));
  cr_expect_eq (r[4].tm, 0);
  cr_expect_eq (r[4].slot, 1);
  cr_expect (rsim_slot_pool_check (pool));
  rsim_slot_pool_free (pool);
}

Test (slotpool, a_leaving_taskmanager_takes_its_slots)
{
  RsimSlotPool *pool = rsim_slot_pool_new ();
  rsim_slot_pool_add_tm (pool, 0, 2);
  rsim_slot_pool_add_tm (pool, 1, 2);
  RsimSlotRef a, b;
  cr_assert (rsim_slot_pool_reserve (pool, 0, &a));
  cr_assert (rsim_slot_pool_reserve (pool, 1, &b));
  cr_expect_not (rsim_slot_pool_tm_idle (pool, 0));
  cr_expect (rsim_slot_pool_tm_idle (pool, 1));
  rsim_slot_pool_remove_tm (pool, 0);
  cr_expect_not (rsim_slot_pool_has_tm (pool, 0));
  cr_expect_eq (rsim_slot_pool_registered (pool), 2);
  cr_expect_eq (rsim_slot_pool_used (pool), 0);
  /* Releasing a slot of a TaskManager that left is harmless. */
  rsim_slot_pool_release (pool, &a, 0);
  cr_expect_eq (rsim_slot_pool_used (pool), 0);
  cr_expect (rsim_slot_pool_reserve (pool, 0, &a));
  cr_expect_eq (a.tm, 1);
  cr_expect (rsim_slot_pool_check (pool));
  rsim_slot_pool_free (pool);
}

/* The count of TaskManagers holding no slot follows reservations,
 * releases, arrivals and departures (the resource manager's idle check
 * skips its scan when it is 0). */
Test (slotpool, idle_taskmanagers_are_counted)
{
  RsimSlotPool *pool = rsim_slot_pool_new ();
  rsim_slot_pool_add_tm (pool, 0, 2);
  rsim_slot_pool_add_tm (pool, 1, 2);
  cr_expect_eq (rsim_slot_pool_idle_tms (pool), 2);
  RsimSlotRef a, b, c;
  cr_assert (rsim_slot_pool_reserve (pool, 0, &a));
  cr_assert (rsim_slot_pool_reserve (pool, 1, &b));
  cr_expect_eq (rsim_slot_pool_idle_tms (pool), 1);     /* both on tm 0 */
  cr_assert (rsim_slot_pool_reserve (pool, 2, &c));
  cr_expect_eq (rsim_slot_pool_idle_tms (pool), 0);
  rsim_slot_pool_release (pool, &a, 0);
  cr_expect_eq (rsim_slot_pool_idle_tms (pool), 0);
  rsim_slot_pool_release (pool, &b, 1);
  cr_expect_eq (rsim_slot_pool_idle_tms (pool), 1);
  rsim_slot_pool_remove_tm (pool, 0);                   /* idle, leaves */
  cr_expect_eq (rsim_slot_pool_idle_tms (pool), 0);
  rsim_slot_pool_remove_tm (pool, 1);                   /* busy, leaves */
  cr_expect_eq (rsim_slot_pool_idle_tms (pool), 0);
  cr_expect (rsim_slot_pool_check (pool));
  rsim_slot_pool_free (pool);
}
