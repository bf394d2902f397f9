import { createHash } from 'node:crypto';
import { Entity, isComponentEntity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { formatProblem } from '@gitops/descriptors-common';
import { DescriptorAnalysis } from './analyze';
import {
  AnalysisWorkerError,
  DescriptorAnalyzer,
  inlineAnalyzer,
} from './analysisPool';
import { readUrlLocation, UrlETags } from '@gitops/descriptors-node';
import { DescriptorFiles } from './readers';
import { AnalysisOutput, DescriptorReadError } from './runAnalysis';

const CACHE_KEY = 'gitops-descriptors-v2';
type CachedAnalysis = {
  /** Hash of the entity and every file the analysis read. */
  key: string;
  /** ETags of the files read at URLs, for conditional reads next time. */
  etags?: UrlETags;
  /** Hash of the entity alone, that the ETags were read for. */
  entity?: string;
  analysis: DescriptorAnalysis;
};

const entityHash = (entity: Entity) =>
  createHash('sha256').update(JSON.stringify(entity)).digest('hex');

/** Problems reported per entity; the rest are counted in the last one. */
const MAX_REPORTED_PROBLEMS = 20;

/**
 * Reads the descriptor files beside each Component's catalog-info.yaml,
 * validates them with the engines' own parsers, annotates the component with
 * what they declare, and emits a Resource for each infrastructure object in
 * kubernetes/. A problem becomes a processing error on that entity only, with
 * file, line and column; the catalog then keeps the entity's last good data.
 *
 * @public
 */
export class GitopsDescriptorsProcessor implements CatalogProcessor {
  constructor(
    private readonly options: {
      reader: UrlReaderService;
      logger: LoggerService;
      /**
       * Where the analysis runs; on the calling thread by default. The
       * module passes its worker pool here.
       *
       * @internal
       */
      analyzer?: DescriptorAnalyzer;
    },
  ) {}

  getProcessorName(): string {
    return 'GitopsDescriptorsProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
    _originLocation?: LocationSpec,
    cache?: CatalogProcessorCache,
  ): Promise<Entity> {
    if (!isComponentEntity(entity)) return entity;
    if (location.type !== 'file' && location.type !== 'url') return entity;

    // The catalog reprocesses every entity regularly; unchanged files (and an
    // unchanged entity) give the same analysis, so it is kept per entity.
    const cached = (await cache?.get(CACHE_KEY)) as CachedAnalysis | undefined;
    const analyzer = this.options.analyzer ?? inlineAnalyzer;
    let output: AnalysisOutput | undefined;
    let files: DescriptorFiles | undefined;
    let etags: UrlETags | undefined;
    let entityKey: string | undefined;
    try {
      if (location.type === 'file') {
        // Read where the analysis runs.
        output = await analyzer.run({
          component: entity,
          cachedKey: cached?.key,
          fileTarget: location.target,
        });
      } else {
        entityKey = entityHash(entity);
        const read = await readUrlLocation(
          this.options.reader,
          location.target,
          {
            // The component's own file is the catalog's business.
            catalogInfo: false,
            // Conditional requests only when the entity is the one analysed.
            etags: cached?.entity === entityKey ? cached.etags : undefined,
          },
        );
        if (read === 'unchanged') {
          // Every file answered "not modified".
          output = { key: cached!.key };
        } else {
          ({ etags, ...files } = read);
        }
      }
    } catch (error) {
      if (error instanceof AnalysisWorkerError) {
        return this.analysisFailed(entity, location, error, emit);
      }
      // Reading failed; a failing analysis is a bug, and propagates.
      if (location.type === 'file' && !(error instanceof DescriptorReadError))
        throw error;
      this.options.logger.warn(
        `gitops: cannot read descriptors beside ${location.target}`,
        {
          error: String(error),
        },
      );
      emit(
        processingResult.generalError(
          location,
          `gitops: cannot read the descriptors beside ${location.target}: ${error}`,
        ),
      );
      return entity;
    }
    if (!output) {
      try {
        output = await analyzer.run({
          component: entity,
          cachedKey: cached?.key,
          files: files!,
        });
      } catch (error) {
        if (!(error instanceof AnalysisWorkerError)) throw error;
        return this.analysisFailed(entity, location, error, emit);
      }
    }

    const analysis = output.analysis ?? cached!.analysis;
    if (output.analysis || etags) {
      const value: CachedAnalysis = {
        key: output.key,
        ...(etags ? { etags, entity: entityKey } : {}),
        analysis,
      };
      await cache?.set(CACHE_KEY, value as unknown as JsonObject);
    }
    if (analysis.problems.length > 0) {
      const shown = analysis.problems.slice(0, MAX_REPORTED_PROBLEMS);
      const more = analysis.problems.length - shown.length;
      for (const problem of shown) {
        emit(
          processingResult.inputError(
            location,
            `gitops: ${formatProblem(problem)}`,
          ),
        );
      }
      if (more > 0) {
        emit(
          processingResult.inputError(
            location,
            `gitops: ${more} more problem(s) not shown`,
          ),
        );
      }
      return entity;
    }
    for (const resource of analysis.resources) {
      emit(processingResult.entity(location, resource));
    }
    for (const relation of analysis.relations) {
      emit(processingResult.relation(relation));
    }
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          ...analysis.annotations,
        },
      },
    };
  }

  /**
   * An analysis that hung or crashed its worker: an error on this entity
   * (which keeps its last good data), and nothing cached, so the next
   * refresh tries again.
   */
  private analysisFailed(
    entity: Entity,
    location: LocationSpec,
    error: AnalysisWorkerError,
    emit: CatalogProcessorEmit,
  ): Entity {
    this.options.logger.warn(
      `gitops: the analysis of the descriptors beside ${location.target} failed: ${error.message}`,
    );
    emit(
      processingResult.generalError(
        location,
        `gitops: ${location.target}: ${error.message}`,
      ),
    );
    return entity;
  }
}
