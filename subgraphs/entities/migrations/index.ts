import { EntitiesInit1732000000004 } from './1732000000004-entities-init';
import { Entities1764100000600 } from './1764100000600-entities';
import { Drive1764100000700 } from './1764100000700-drive';
import { SeoPixel1764100000750 } from './1764100000750-seo-pixel';

export const entitiesMigrations = [EntitiesInit1732000000004, Entities1764100000600, Drive1764100000700, SeoPixel1764100000750];
