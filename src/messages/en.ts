import { Labels } from './catalogue';

/** English, for callers whose Accept-Language prefers it. */
export const enLabels: Labels = {
  status: {
    draft: 'Draft',
    submitted: 'Under review',
    info_requested: 'Information requested',
    approved: 'Approved',
    parts_shipped: 'Parts shipped',
    parts_delivered: 'Parts delivered',
    part_mismatch: 'Wrong or missing part',
    closed: 'Closed',
  },
  resolution: {
    repaired: 'Repaired',
    warranty_refused: 'Warranty refused (no answer)',
    not_warranty: 'Not a warranty case',
    withdrawn: 'Withdrawn',
    not_repaired: 'Repair impossible',
    refund_or_exchange: 'Refund or exchange',
  },
  reasonCode: {
    mechanical_damage: 'Mechanical damage',
    improper_use: 'Improper use',
    overload: 'Overload',
    no_documents: 'No documents (warranty card or receipt)',
    out_of_warranty: 'Warranty period over',
    not_a_defect: 'Not a defect',
    other: 'Other reason',
  },
  notGiven: 'Not given',
};
