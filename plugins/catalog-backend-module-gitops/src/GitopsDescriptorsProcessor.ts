import { Entity, isComponentEntity } from '@backstage/catalog-model';
import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { formatProblem } from '@gitops/descriptors-common';
import { analyzeDescriptors } from './analyze';
import { readFileLocation, readUrlLocation } from './readers';

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
    },
  ) {}

  getProcessorName(): string {
    return 'GitopsDescriptorsProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isComponentEntity(entity)) return entity;
    if (location.type !== 'file' && location.type !== 'url') return entity;

    let files;
    try {
      files =
        location.type === 'file'
          ? await readFileLocation(location.target)
          : await readUrlLocation(this.options.reader, location.target);
    } catch (error) {
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

    const analysis = analyzeDescriptors(entity, files.sources, files.problems);
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
}
