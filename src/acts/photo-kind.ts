/** The kinds of photo an act has; the rules ask for some of them. */
export enum PhotoKind {
  Nameplate = 'nameplate',
  WarrantyCard = 'warranty_card',
  Receipt = 'receipt',
  Breakage = 'breakage',
  Part = 'part',
  Fastening = 'fastening',
  ClientStatement = 'client_statement',
  Other = 'other',
}
