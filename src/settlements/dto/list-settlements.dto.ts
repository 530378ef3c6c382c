import { PageQuery } from '../../common/page.query';

/** GET /compensation-settlements: newest first, keyset-paginated. */
export class ListSettlementsDto extends PageQuery {}
