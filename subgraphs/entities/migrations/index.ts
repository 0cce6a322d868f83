import { EntitiesInit1732000000004 } from './1732000000004-entities-init';

export const entitiesMigrations = [EntitiesInit1732000000004];
