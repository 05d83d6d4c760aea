import { ensureGuestImage } from './build-image.js';
import { defaultCacheDir } from '../../src/config/data-dir.js';

/** `npm run build-image`: make sure the guest image for the current sources exists (scripts/prepare.sh calls this). */
const image = await ensureGuestImage(process.env.JAILLAB_CACHE_DIR ?? defaultCacheDir(), console.log, { refreshKernel: true });
console.log(`guest image: ${image.dir} (${image.kernelPackage})`);
