import { SCORE_NAMES, type ScoreName } from '../../core/formats/index.ts';
import type { ExportKind } from './protocol.ts';
import { useReviewStore } from './reviewStore.ts';
import { parseGridSize } from '../../core/dataset/grid.ts';

const LABEL: Record<ScoreName, string> = { plausibility: 'plausibility', alignment: 'alignment', aesthetics: 'aesthetics', overall: 'overall' };

/**
 * Dataset, TFRecord, inpainting masks and the fine-tuning subset; built in the worker with
 * progress. `parquet`: also the dataset with its images as Parquet (the review page; the
 * collection server's dashboard has the server's own Parquet download instead).
 */
export function ExportPanel({ parquet = false }: { parquet?: boolean }) {
  const settings = useReviewStore((s) => s.settings);
  const setSettings = useReviewStore((s) => s.setSettings);
  const status = useReviewStore((s) => s.exportStatus);
  const runExport = useReviewStore((s) => s.runExport);
  const cancelExport = useReviewStore((s) => s.cancelExport);
  const hasFiles = useReviewStore((s) => s.files.length > 0);
  const packSize = useReviewStore((s) => s.pack?.pack.annotatorsPerItem ?? 3);
  const running = status !== null && status.progress !== null;
  const sizeOk = parseGridSize(settings.heatmapSize) !== null;
  const disabled = running || !hasFiles || !sizeOk;
  const button = (kind: ExportKind, label: string) => (
    <button type="button" onClick={() => void runExport(kind)} disabled={disabled}>
      {label}
    </button>
  );

  return (
    <section aria-labelledby="export-heading" className="rv-panel">
      <h2 id="export-heading">Export</h2>
      <div className="rv-export-options">
        <label>
          Heatmap size{' '}
          <input
            type="text"
            size={9}
            value={settings.heatmapSize}
            onChange={(e) => setSettings({ heatmapSize: e.target.value })}
            aria-invalid={!sizeOk}
            aria-describedby="size-hint"
          />
        </label>
        <span id="size-hint" className="rv-hint">
          N or WxH grid cells (default 512)
        </span>
        <label>
          Minimum annotators{' '}
          <input
            type="number"
            min={0}
            max={100}
            value={settings.minAnnotators}
            onChange={(e) => setSettings({ minAnnotators: Math.max(0, Math.min(100, Math.trunc(Number(e.target.value)) || 0)) })}
          />
        </label>
        <span className="rv-hint">0 = the pack&apos;s {packSize}</span>
      </div>
      <div className="rv-export-row">
        {button('dataset', 'Export dataset')}
        {button('tfrecord', 'Export TFRecord')}
        {parquet && button('parquet', 'Download the dataset with its images (Parquet)')}
      </div>
      <fieldset className="rv-export-row">
        <legend>Inpainting masks (artifact heatmap, thresholded and dilated)</legend>
        <label className="rv-slider">
          Mask threshold
          <input type="range" min={0} max={1} step={0.05} value={settings.maskThreshold} onChange={(e) => setSettings({ maskThreshold: Number(e.target.value) })} />
          <output>{settings.maskThreshold.toFixed(2)}</output>
        </label>
        <label>
          Dilation radius (cells){' '}
          <input
            type="number"
            min={0}
            max={64}
            value={settings.maskDilation}
            onChange={(e) => setSettings({ maskDilation: Math.max(0, Math.min(64, Math.trunc(Number(e.target.value)) || 0)) })}
          />
        </label>
        {button('masks', 'Export inpainting masks')}
      </fieldset>
      <fieldset className="rv-export-row">
        <legend>Fine-tuning subset: items whose normalized scores reach every minimum</legend>
        {SCORE_NAMES.map((s) => (
          <label key={s}>
            Minimum normalized {LABEL[s]}{' '}
            <input
              type="number"
              min={0}
              max={1}
              step={0.05}
              value={settings.subset[s]}
              onChange={(e) => setSettings({ subset: { ...settings.subset, [s]: Math.max(0, Math.min(1, Number(e.target.value) || 0)) } })}
            />
          </label>
        ))}
        {button('subset', 'Export subset')}
      </fieldset>
      {status && (
        <div className="rv-export-status">
          {status.progress && <progress aria-label="Export progress" max={status.progress.total || 1} value={status.progress.done} />}
          {status.progress && (
            <button type="button" onClick={cancelExport}>
              Cancel export
            </button>
          )}
          <p role={status.failed ? 'alert' : 'status'}>{status.progress ? `${status.progress.phase}: ${status.progress.done} of ${status.progress.total}` : status.message}</p>
        </div>
      )}
    </section>
  );
}
